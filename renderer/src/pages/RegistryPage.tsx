import { useState } from 'react';

import type {
  Enterprise,
  EnterpriseDraft,
  EnterpriseListItem,
} from '../../../shared/domain/enterprise';
import { api } from '../api';
import { EnterpriseDeleteModal } from '../components/EnterpriseDeleteModal';
import { EnterpriseDrawer } from '../components/EnterpriseDrawer';
import { EnterpriseGradeDrawer } from '../components/EnterpriseGradeDrawer';
import { EnterpriseTable } from '../components/EnterpriseTable';
import { EnterpriseVisitsDrawer } from '../components/EnterpriseVisitsDrawer';
import { ApplyDrawer } from '../components/review/ApplyDrawer';
import { ProcessesDrawer } from '../components/ProcessesDrawer';
import { RegistryToolbar } from '../components/RegistryToolbar';
import { LoadFailed } from '../components/LoadFailed';
import { useEnterpriseList } from '../queries';

/** The drawer's state; the enterprise stays while it closes so its title does not flip. */
interface Editing {
  open: boolean;
  enterprise: Enterprise | null;
}

/** 企业台账: search, filter, add, edit and delete enterprises, and each one's 行业与工序. */
export function RegistryPage() {
  const list = useEnterpriseList();
  const [editing, setEditing] = useState<Editing>({ open: false, enterprise: null });
  const [processes, setProcesses] = useState<Editing>({ open: false, enterprise: null });
  const [visits, setVisits] = useState<{ open: boolean; enterprise: EnterpriseListItem | null }>({
    open: false,
    enterprise: null,
  });
  const [grade, setGrade] = useState<{ open: boolean; enterprise: EnterpriseListItem | null }>({
    open: false,
    enterprise: null,
  });
  const [deleting, setDeleting] = useState<EnterpriseListItem | null>(null);
  const [applying, setApplying] = useState<{
    open: boolean;
    enterprise: EnterpriseListItem | null;
  }>({ open: false, enterprise: null });

  /** Creates (id null) or updates an enterprise, then reads the list again. Throws ApiError. */
  async function save(id: string | null, draft: EnterpriseDraft): Promise<Enterprise> {
    const saved =
      id === null
        ? await api.call('enterprise.create', draft)
        : await api.call('enterprise.update', { id, draft });
    await list.reload();
    return saved;
  }

  return (
    <div className="page">
      <RegistryToolbar list={list} onAdd={() => setEditing({ open: true, enterprise: null })} />
      {list.error && (
        <LoadFailed
          title="企业列表加载失败"
          error={list.error}
          retry={() => void list.reload()}
          style={{ marginBottom: 16 }}
        />
      )}
      <EnterpriseTable
        list={list}
        onEdit={(enterprise) => setEditing({ open: true, enterprise })}
        onProcesses={(enterprise) => setProcesses({ open: true, enterprise })}
        onVisits={(enterprise) => setVisits({ open: true, enterprise })}
        onGrade={(enterprise) => setGrade({ open: true, enterprise })}
        onDelete={setDeleting}
        onApply={(enterprise) => setApplying({ open: true, enterprise })}
      />
      <ApplyDrawer
        open={applying.open}
        enterprise={applying.enterprise}
        onClose={() => setApplying((a) => ({ open: false, enterprise: a.enterprise }))}
      />
      <EnterpriseDeleteModal
        key={deleting?.id ?? 'none'}
        enterprise={deleting}
        onDeleted={list.reload}
        onClose={() => setDeleting(null)}
      />
      <EnterpriseVisitsDrawer
        open={visits.open}
        enterprise={visits.enterprise}
        onClose={() => setVisits((v) => ({ open: false, enterprise: v.enterprise }))}
      />
      <EnterpriseGradeDrawer
        open={grade.open}
        enterprise={grade.enterprise}
        onClose={() => setGrade((g) => ({ open: false, enterprise: g.enterprise }))}
      />
      <EnterpriseDrawer
        open={editing.open}
        enterprise={editing.enterprise}
        onClose={() => setEditing((e) => ({ open: false, enterprise: e.enterprise }))}
        onSave={(draft: EnterpriseDraft) => save(editing.enterprise?.id ?? null, draft)}
      />
      <ProcessesDrawer
        open={processes.open}
        enterprise={processes.enterprise}
        onClose={() => setProcesses((p) => ({ open: false, enterprise: p.enterprise }))}
      />
    </div>
  );
}
